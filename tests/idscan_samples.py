"""Sample documents shared by the ID-scanning tests: ICAO 9303 specimens, an AAMVA licence, a token."""

# Specimens from ICAO Doc 9303 parts 4 to 7.
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
TD1_LONG = "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<"
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
MRV_A = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<"
MRV_B = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<"

MODERN = {  # version 4 onwards: DCS family name, DAC first, DAD middle; US dates MMDDCCYY
    "DCA": "D",
    "DCB": "NONE",
    "DCD": "NONE",
    "DBA": "08312029",
    "DCS": "PUBLIC",
    "DAC": "JOHN",
    "DAD": "QUINCY",
    "DBD": "08312021",
    "DBB": "01071985",
    "DBC": "1",
    "DAY": "BRO",
    "DAU": "070 IN",
    "DAG": "123 MAIN STREET",
    "DAH": "APT 4",
    "DAI": "ANYTOWN",
    "DAJ": "VA",
    "DAK": "221010000  ",
    "DAQ": "T64235789",
    "DCF": "2424244747474786102204",
    "DCG": "USA",
    "DDE": "N",
    "DDF": "N",
    "DDG": "N",
}

TOKEN = "SBT1.HOTEL-01.0f1e2d3c4b5a69788796a5b4c3d2e1f0.AbC-_0123456789xyzXYZ_"
