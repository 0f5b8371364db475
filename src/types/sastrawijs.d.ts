/**
 * Minimal typings for `sastrawijs` (the package ships `.d.ts` files that
 * NodeNext resolution cannot reach through its `exports` map).
 */
declare module 'sastrawijs' {
  /** Sastrawi Indonesian stemmer (dictionary-based, Nazief–Adriani style). */
  export class Stemmer {
    constructor(dictionary?: string[]);
    /** Returns the root word, or the word itself when no root is found. */
    stem(word: string): string;
    /** True when `word` is a root word of the built-in dictionary. */
    find(word: string): boolean;
    addToDict(words: string[]): void;
    remove(words: string[]): void;
  }
  /** Sentence tokenizer shipped with the stemmer. */
  export class Tokenizer {
    tokenize(sentence: string): string[];
  }
}
