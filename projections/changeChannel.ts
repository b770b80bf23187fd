/**
 * A projection's changes, typed: the channel names the projection and the type of the documents it
 * publishes, so a subscriber reads them as that type without a cast of its own.
 */
export interface ChangeChannel<Document> {
  readonly projection: string;
  /** Never set: carries the document type. */
  readonly documentType?: Document;
}

export const changeChannel = <Document>(projection: string): ChangeChannel<Document> => ({ projection });

/**
 * A key subscribers select a channel's documents by, besides their id (an order's customer): the
 * change feed keeps an index on it, so a change wakes only the subscribers of its key's value.
 * The key of a document must not change over its life.
 */
export interface ChangeKey<Document> {
  readonly channel: ChangeChannel<Document>;
  readonly name: string;
  readonly of: (document: Document) => string;
}

export const changeKey = <Document>(
  channel: ChangeChannel<Document>,
  name: string,
  of: (document: Document) => string,
): ChangeKey<Document> => ({
  channel,
  name,
  of,
});
