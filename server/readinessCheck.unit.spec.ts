import { pathOf } from './readinessCheck';

describe('pathOf', () => {
  it('is the path of an absolute URL, without its query or fragment', () => {
    expect(pathOf('http://127.0.0.1:4000/ready')).toBe('/ready');
    expect(pathOf('http://localhost/ready?probe=1')).toBe('/ready');
    expect(pathOf('https://example.test/ready#top')).toBe('/ready');
    expect(pathOf('http://example.test/graphql?query=%7Bx%7D#/ready')).toBe('/graphql');
    expect(pathOf('http://example.test')).toBe('/');
    expect(pathOf('http://example.test/readyness')).toBe('/readyness');
    expect(pathOf('http://example.test/x/ready')).toBe('/x/ready');
  });
});
