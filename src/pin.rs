//! ISO 9564-1 PIN blocks (formats 0 to 4): encipher, decipher, translate.
