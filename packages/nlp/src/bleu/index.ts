/**
 * BLEU: d2l's bleu and sacreBLEU-compatible corpus BLEU.
 */
export {};
