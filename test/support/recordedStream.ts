import type { RecordedEvent } from '../../eventStore/port';

/**
 * Events as a store would record them, for read-model specs: each `recordedStream` counts its own
 * revisions from 0, and positions grow across every stream in call order, as in `$all`.
 */
export function recordedEvents(firstPosition = 1000n, positionStep = 11n) {
  let position = firstPosition;
  return function recordedStream(streamName: string, metadata: (position: bigint) => RecordedEvent['metadata'] = () => ({})) {
    let revision = -1;
    return (type: string, data: Record<string, unknown>, extraMetadata: RecordedEvent['metadata'] = {}): RecordedEvent => {
      position += positionStep;
      revision += 1;
      return {
        id: `${streamName}@${revision}`,
        type,
        streamName,
        revision,
        position,
        data: data as RecordedEvent['data'],
        metadata: { ...metadata(position), ...extraMetadata },
        recordedAt: '2030-01-01T00:00:00.000Z',
      };
    };
  };
}
