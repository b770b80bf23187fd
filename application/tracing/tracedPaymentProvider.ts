import { SpanKind } from '@opentelemetry/api';
import type { ChargeOutcome, ChargeRequest, PaymentProvider } from '../../domain/payments';
import { ATTR } from './attributes';
import { inSpan, isTracing } from './tracing';

/** The payment call as a client span (child of the reaction that charges); the provider itself as it is when tracing is off. */
export function tracedPaymentProvider(provider: PaymentProvider): PaymentProvider {
  if (!isTracing()) return provider;
  return {
    charge: (request: ChargeRequest): Promise<ChargeOutcome> =>
      inSpan(
        'payment charge',
        async (span) => {
          const outcome = await provider.charge(request);
          span?.setAttribute(ATTR.paymentOutcome, outcome.outcome);
          return outcome;
        },
        () => ({ kind: SpanKind.CLIENT, attributes: { [ATTR.paymentId]: request.paymentId, [ATTR.amountCents]: request.amountCents } }),
      ),
  };
}
