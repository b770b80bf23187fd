/**
 * Read-model documents, held in memory and rebuilt from the event store at start-up
 * (the checkpoint lives with them). Iteration follows first-insertion order, which is
 * `$all` order of each document's first event.
 */
export interface DocumentStore<Document> {
  get(id: string): Document | undefined;
  set(id: string, document: Document): void;
  delete(id: string): void;
  values(): IterableIterator<Document>;
  readonly size: number;
}

export class InMemoryDocumentStore<Document> implements DocumentStore<Document> {
  private readonly documents = new Map<string, Document>();

  get(id: string): Document | undefined {
    return this.documents.get(id);
  }

  set(id: string, document: Document): void {
    this.documents.set(id, document);
  }

  delete(id: string): void {
    this.documents.delete(id);
  }

  values(): IterableIterator<Document> {
    return this.documents.values();
  }

  get size(): number {
    return this.documents.size;
  }
}
