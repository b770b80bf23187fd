import type { DocumentStore } from '../documentStore';
import { InMemoryDocumentStore } from '../documentStore';
import type { OrderView } from './orderView';

/** Order views plus a secondary index: the ids of each customer's orders, in the order they were first stored. */
export interface OrderViewStore extends DocumentStore<OrderView> {
  orderIdsOfCustomer(customerId: string): Iterable<string>;
}

/**
 * Keeps the customer index beside the documents, so listing one customer's orders reads only
 * that customer's orders. An order is first stored for its OrderPlaced, so each customer's ids
 * follow `$all` order, i.e. ascending `createdPosition`, as pagination needs.
 */
export class InMemoryOrderViewStore implements OrderViewStore {
  private readonly documents = new InMemoryDocumentStore<OrderView>();
  private readonly idsByCustomer = new Map<string, Set<string>>();

  get(id: string): OrderView | undefined {
    return this.documents.get(id);
  }

  set(id: string, document: OrderView): void {
    const previous = this.documents.get(id);
    if (previous !== undefined && previous.customerId !== document.customerId) this.unindex(previous.customerId, id);
    this.documents.set(id, document);
    let ids = this.idsByCustomer.get(document.customerId);
    if (ids === undefined) {
      ids = new Set();
      this.idsByCustomer.set(document.customerId, ids);
    }
    ids.add(id);
  }

  delete(id: string): void {
    const previous = this.documents.get(id);
    if (previous === undefined) return;
    this.documents.delete(id);
    this.unindex(previous.customerId, id);
  }

  values(): IterableIterator<OrderView> {
    return this.documents.values();
  }

  get size(): number {
    return this.documents.size;
  }

  orderIdsOfCustomer(customerId: string): Iterable<string> {
    return this.idsByCustomer.get(customerId) ?? [];
  }

  private unindex(customerId: string, id: string): void {
    const ids = this.idsByCustomer.get(customerId);
    if (ids === undefined) return;
    ids.delete(id);
    if (ids.size === 0) this.idsByCustomer.delete(customerId);
  }
}
