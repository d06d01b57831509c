//! EMV (Book 2 Annex A): ICC master keys, session keys, application
//! cryptograms and ARPC.
