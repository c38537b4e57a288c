"""Card payment terminals, semi-integrated: the terminal handles the card, the kiosk never sees it.

- ``model``: Money, operations, PaymentResult, and the events of a transaction (DisplayText,
  ReceiptLine, ReviewNeeded)
- ``terminal``: the PaymentTerminal interface and its journaling/reconciliation
- ``journal``: the payment journal (SQLite, fsynced) with an outbox-style API for the sync layer
- ``drivers``: registered drivers (``zvt``: ZVT over TCP or serial); ``zvt/``: the protocol
- ``messages``: result codes, their meanings, and short guest texts (en, id)
- ``cardmask``: masking of card numbers in results and free text
"""
