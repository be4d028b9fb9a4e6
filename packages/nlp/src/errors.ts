/**
 * Typed errors of @dlpipe/nlp, each extending `DlpipeError`: the message names the input, what
 * was received, what was expected and how to fix it.
 *
 *   try { new Vocab(...) } catch (e) { if (e instanceof VocabError) console.error(e.message); }
 */
import { DlpipeError } from '@dlpipe/core';

/** Text that cannot be tokenized: invalid UTF-8, empty where text is required, or too long. */
export class TextInputError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NLP_TEXT_INPUT', message, options);
  }
}

/** A tokenizer is misconfigured or its assets (vocab.txt, user dictionary) are missing or bad. */
export class TokenizerError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NLP_TOKENIZER', message, options);
  }
}

/** A vocabulary file is missing, corrupt or does not fit the model it is used with. */
export class VocabError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NLP_VOCAB', message, options);
  }
}

/** A corpus cannot be found or read (a missing npm/Debian package, a bad file). */
export class CorpusError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NLP_CORPUS', message, options);
  }
}

/** A language model or classifier is used in a way it cannot support (e.g. a BiRNN generating). */
export class ModelUseError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NLP_MODEL_USE', message, options);
  }
}
