/**
 * Finds history that a 0.29-era resume copied into a new file. Those CLIs write a
 * `{record_type: "state"}` marker after every batch of items they record. A live batch never
 * holds a human prompt together with the model's answer (the prompt is recorded before the
 * model is asked), so a batch that holds both is history replayed from an earlier rollout.
 */
export class ReplayDetector {
  #humans = 0;
  #items = 0;
  #assistantSide = false;
  replayedTurns = 0;
  replayedItems = 0;

  item(kind: 'human' | 'assistant' | 'other'): void {
    this.#items += 1;
    if (kind === 'human') this.#humans += 1;
    if (kind === 'assistant') this.#assistantSide = true;
  }

  /** True while the current batch holds a human prompt (so it is copied history). */
  get batchHasHuman(): boolean {
    return this.#humans > 0;
  }

  /** A state marker (or the end of the file) closes the batch. */
  endBatch(): void {
    if (this.#humans > 0 && this.#assistantSide) {
      this.replayedTurns += this.#humans;
      this.replayedItems += this.#items;
    }
    this.#humans = 0;
    this.#items = 0;
    this.#assistantSide = false;
  }
}
