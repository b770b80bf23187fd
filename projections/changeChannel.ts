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
