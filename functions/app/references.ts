import type { ComplaintRepository } from "./ports";

/** Reference numbers a container reserves at a time: one store round trip per block, not per complaint. */
export const REFERENCE_BLOCK = 100;

/**
 * Hands out the daily sequence numbers of complaint references (`CMP-<local date>-<n>`) from blocks
 * reserved in the store, so intake makes no round trip per complaint for them. Each block is disjoint
 * from every other container's (one atomic ADD reserves it): numbers are unique; a container that ends
 * with numbers left, or a request that fails after drawing one, leaves gaps — never a duplicate.
 */
export class ReferenceAllocator {
  private block: { localDate: string; next: number; last: number } | undefined;
  private reserving: Promise<void> | undefined;

  constructor(
    private readonly repository: Pick<ComplaintRepository, "reserveReferences">,
    private readonly blockSize = REFERENCE_BLOCK,
  ) {}

  /** The next sequence number of a local date. */
  async next(localDate: string): Promise<number> {
    for (;;) {
      const block = this.block;
      if (block && block.localDate === localDate && block.next <= block.last) return block.next++;
      // Concurrent callers in one process share one reservation.
      this.reserving ??= this.reserve(localDate).finally(() => {
        this.reserving = undefined;
      });
      await this.reserving;
    }
  }

  private async reserve(localDate: string): Promise<void> {
    const { first, last } = await this.repository.reserveReferences(localDate, this.blockSize);
    this.block = { localDate, next: first, last };
  }
}
