/** The types behind events.graphql's types (paths from resolvers/__generated__/, for codegen). */
export const mappers = {
  RecordedEvent: '../../eventStore/port#RecordedEvent as StoredEvent',
  RecordedEventConnection: '../../application/history/historyReads#EventPage',
};
