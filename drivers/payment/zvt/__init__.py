"""ZVT, the ECR interface of many European card terminals (public specification).

``codec`` encodes and parses APDUs, BMPs and TLV containers; ``framing`` the serial line frames;
``channel`` moves APDUs over a byte link (serial frames with ACK/NAK, or bare APDUs on TCP);
``session`` runs one command with the terminal's answers; ``commands`` builds the requests.
"""
