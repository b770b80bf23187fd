/** Where an order is delivered to. */
export interface DeliveryAddress {
  readonly recipient: string;
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2, upper case, e.g. DE. */
  readonly countryCode: string;
}
