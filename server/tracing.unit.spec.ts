import { tracingSettingsFromEnv } from './tracing';

describe('tracing settings from the OTEL_* variables', () => {
  it('is off by default', () => {
    expect(tracingSettingsFromEnv({})).toEqual({ enabled: false });
  });

  it.each([
    ['OTEL_TRACES_EXPORTER=otlp', { OTEL_TRACES_EXPORTER: 'otlp' }],
    ['OTEL_TRACES_EXPORTER listing otlp among others', { OTEL_TRACES_EXPORTER: 'console, OTLP' }],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4318/v1/traces' }],
  ])('is on with %s, named eventshop-gateway unless OTEL_SERVICE_NAME says otherwise', (_, env) => {
    expect(tracingSettingsFromEnv(env)).toEqual({ enabled: true, serviceName: 'eventshop-gateway' });
    expect(tracingSettingsFromEnv({ ...env, OTEL_SERVICE_NAME: 'shop-eu-1' })).toEqual({ enabled: true, serviceName: 'shop-eu-1' });
  });

  it.each([
    ['OTEL_SDK_DISABLED=true', { OTEL_SDK_DISABLED: 'TRUE', OTEL_TRACES_EXPORTER: 'otlp' }],
    ['OTEL_TRACES_EXPORTER=none', { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }],
    ['an exporter other than otlp', { OTEL_TRACES_EXPORTER: 'zipkin' }],
    ['a blank endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }],
  ])('is off with %s', (_, env) => {
    expect(tracingSettingsFromEnv(env)).toEqual({ enabled: false });
  });

  it('stays on when OTEL_SDK_DISABLED is anything but true', () => {
    expect(tracingSettingsFromEnv({ OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'otlp' }).enabled).toBe(true);
  });
});
