import { parse } from 'graphql';
import { ANONYMOUS, type Actor } from '../application/actor';
import { subscriptionSharingKey } from './subscriptionSharingKey';

const alice: Actor = { role: 'customer', id: 'alice' };
const bob: Actor = { role: 'customer', id: 'bob' };

function keyOf(query: string, actor: Actor = ANONYMOUS, variables: Record<string, unknown> | null = null, operationName?: string) {
  return subscriptionSharingKey({ document: parse(query), query, operationName, variables, actor });
}

describe('subscriptionSharingKey', () => {
  const customerOrders = 'subscription ($customerId: ID!) { customerOrders(customerId: $customerId) { id status } }';

  it('is the same for the same operation, variables (in any key order) and actor', () => {
    const query = 'subscription ($filter: X) { inventoryItemChanges { eventType } }';
    expect(keyOf(query, ANONYMOUS, { a: 1, b: { c: 2, d: 3 } })).toBe(keyOf(query, ANONYMOUS, { b: { d: 3, c: 2 }, a: 1 }));
  });

  it('differs between two customers with the same operation and variables', () => {
    expect(keyOf(customerOrders, alice, { customerId: 'alice' })).not.toBe(keyOf(customerOrders, bob, { customerId: 'alice' }));
    expect(keyOf(customerOrders, alice, { customerId: 'alice' })).not.toBe(keyOf(customerOrders, ANONYMOUS, { customerId: 'alice' }));
  });

  it('differs between an admin and a customer with the same id', () => {
    const admin: Actor = { role: 'admin', id: 'alice' };
    expect(keyOf(customerOrders, alice, { customerId: 'alice' })).not.toBe(keyOf(customerOrders, admin, { customerId: 'alice' }));
  });

  it('differs with the variables, the operation name or the document text', () => {
    const base = keyOf(customerOrders, alice, { customerId: 'alice' });
    expect(keyOf(customerOrders, alice, { customerId: 'alice2' })).not.toBe(base);
    expect(keyOf(customerOrders.replace('status', 'status placedAt'), alice, { customerId: 'alice' })).not.toBe(base);
    const named = 'subscription A { lowStockAlerts { itemId } } subscription B { lowStockAlerts { threshold } }';
    expect(keyOf(named, ANONYMOUS, null, 'A')).not.toBe(keyOf(named, ANONYMOUS, null, 'B'));
  });

  it('is null for fields that start with a value of their own or replay from a cursor', () => {
    expect(keyOf('subscription { inventoryItem(id: "1") { id } }')).toBeNull();
    expect(keyOf('subscription { order(id: "1") { id } }', alice)).toBeNull();
    expect(keyOf('subscription { events { id } }')).toBeNull();
    expect(keyOf('subscription { projectionRebuild { status } }')).toBeNull();
  });

  it('is null for queries, mutations, root fragments and directives', () => {
    expect(keyOf('query { inventoryItems { totalCount } }')).toBeNull();
    expect(keyOf('mutation { x }')).toBeNull();
    expect(keyOf('subscription { ...F } fragment F on Subscription { inventoryItemChanges { eventType } }')).toBeNull();
    expect(keyOf('subscription { ... on Subscription { inventoryItemChanges { eventType } } }')).toBeNull();
    expect(keyOf('subscription { inventoryItemChanges @include(if: true) { eventType } }')).toBeNull();
    expect(keyOf('subscription @live { inventoryItemChanges { eventType } }')).toBeNull();
  });

  it('is null for variables nested too deep to key', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i += 1) deep = { deep };
    expect(keyOf('subscription { inventoryItemChanges { eventType } }', ANONYMOUS, { deep })).toBeNull();
  });
});
