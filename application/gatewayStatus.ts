export interface GatewayStatusView {
  readonly eventStore: string;
  readonly checkpoint: string | null;
  readonly caughtUp: boolean;
  readonly processedEvents: number;
}
