// A growable list of 32-bit integers: scratch stacks and work lists without a JS array of numbers.

export class IntList {
  length = 0;
  private items: Int32Array;

  constructor(capacity = 256) {
    this.items = new Int32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.items.length) {
      const next = new Int32Array(this.items.length * 2);
      next.set(this.items);
      this.items = next;
    }
    this.items[this.length++] = value;
  }

  pop(): number {
    return this.items[--this.length]!;
  }

  at(i: number): number {
    return this.items[i]!;
  }

  clear(): void {
    this.length = 0;
  }

  toArray(): Int32Array {
    return this.items.slice(0, this.length);
  }
}
