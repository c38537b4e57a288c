// Writes, as JSON {generator: base64 stream}, the same small receipt encoded by two ESC/POS
// generators from npm (receipt-printer-encoder and node-thermal-printer). The receipt's facts come
// as JSON on argv[2]: {columns, lines: [...], qr, barcode}.
"use strict";
const ReceiptPrinterEncoder = require("@point-of-sale/receipt-printer-encoder");
const { ThermalPrinter, PrinterTypes } = require("node-thermal-printer");

const spec = JSON.parse(process.argv[2]);

function receiptPrinterEncoder() {
  const encoder = new ReceiptPrinterEncoder({ language: "esc-pos", columns: spec.columns });
  let e = encoder.initialize().codepage("cp437").align("center").bold(true).line(spec.lines[0]).bold(false);
  e = e.align("left");
  for (const line of spec.lines.slice(1)) e = e.line(line);
  e = e.underline(true).line("underlined").underline(false).invert(true).line("inverted").invert(false);
  e = e.align("center").qrcode(spec.qr, { model: 2, size: 6, errorlevel: "m" }).newline();
  e = e.barcode(spec.barcode, "code128", { height: 60, width: 2, text: true }).newline();
  return Buffer.from(e.cut().encode());
}

function nodeThermalPrinter() {
  const printer = new ThermalPrinter({ type: PrinterTypes.EPSON, width: spec.columns });
  printer.alignCenter();
  printer.bold(true);
  printer.println(spec.lines[0]);
  printer.bold(false);
  printer.alignLeft();
  for (const line of spec.lines.slice(1)) printer.println(line);
  printer.drawLine();
  printer.tableCustom([
    { text: "Room", align: "LEFT", width: 0.5 },
    { text: "3 nights", align: "RIGHT", width: 0.5 },
  ]);
  printer.setTextDoubleHeight();
  printer.println("double");
  printer.setTextNormal();
  printer.alignCenter();
  printer.printQR(spec.qr, { cellSize: 6, correction: "M", model: 2 });
  printer.code128(spec.barcode, { width: "MEDIUM", height: 60, text: 2 });
  printer.cut();
  printer.beep();
  return printer.getBuffer();
}

process.stdout.write(
  JSON.stringify({
    "receipt-printer-encoder": receiptPrinterEncoder().toString("base64"),
    "node-thermal-printer": nodeThermalPrinter().toString("base64"),
  }),
);
