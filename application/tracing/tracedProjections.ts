import type { Projection } from '../../projections/projection';
import { ATTR } from './attributes';
import { causedBy } from './causedBy';
import { inSpanSync, isTracing } from './tracing';

/**
 * Each live event a projection applies, as a span continuing the trace of the command that wrote
 * it (see causedBy). Per event, not per batch: the runner applies events one at a time as they
 * arrive, so there is no batch to group under, and a per-event span is what places "the read model
 * has it" on the order's trace. Events replayed while catching up (start-up, a rebuild) are not
 * traced: `isLive` is false then, and thousands of spans for history nobody is waiting on would
 * only crowd the exporter's queue and old traces. The projections as they are when tracing is off.
 */
export function tracedProjections(projections: readonly Projection[], isLive: () => boolean): readonly Projection[] {
  if (!isTracing()) return projections;
  return projections.map((projection) => {
    const traced: Projection = Object.create(projection) as Projection;
    traced.apply = (event) =>
      isLive()
        ? inSpanSync(
            `project ${projection.name}`,
            (span) => {
              const changes = projection.apply(event);
              span?.setAttribute('eventshop.projection.changed_documents', changes.length);
              return changes;
            },
            () => causedBy(event, { [ATTR.projection]: projection.name }),
          )
        : projection.apply(event);
    return traced;
  });
}
