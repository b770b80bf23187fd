import { parse } from 'graphql';
import { createSchema } from './schema';
import { mutationFieldCount } from './security';

const schema = createSchema();
const place = (alias: string, directive = '') =>
  `${alias}: placeOrder(input: { paymentMethodToken: "tok", lines: [] }) ${directive} { revision }`;
const fifteen = Array.from({ length: 15 }, (_, i) => place(`a${i}`)).join(' ');
const count = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  mutationFieldCount(schema, parse(query), operationName, variables);

describe('mutationFieldCount', () => {
  it('counts every mutation field executed, wherever the document hides it', () => {
    expect(count(`mutation { ${place('a')} }`)).toBe(1);
    expect(count(`mutation { ${fifteen} }`)).toBe(15);
    expect(count(`mutation { ... on Mutation { ${fifteen} } }`)).toBe(15);
    expect(count(`mutation { ...F } fragment F on Mutation { ${fifteen} }`)).toBe(15);
    expect(
      count(
        `mutation { ...F ... on Mutation { ...G } } fragment F on Mutation { ${place('x')} } fragment G on Mutation { ${place('y')} ${place('z')} }`,
      ),
    ).toBe(3);
  });

  it('resolves @skip/@include as execution does, variable defaults included', () => {
    expect(count(`mutation { ${place('a')} ${place('b', '@skip(if: true)')} }`)).toBe(1);
    expect(count(`mutation($s: Boolean = false) { ${place('a')} ${place('b', '@skip(if: $s)')} }`)).toBe(2);
    expect(count(`mutation($i: Boolean!) { ...F @include(if: $i) } fragment F on Mutation { ${fifteen} }`, { i: true })).toBe(15);
  });

  it('counts one field per response key (the same field twice executes once), and nothing for queries', () => {
    expect(count(`mutation { ${place('a')} ${place('a')} }`)).toBe(1);
    expect(count(`{ status { caughtUp } }`)).toBe(0);
    expect(count(`query Q { status { caughtUp } } mutation M { ${place('a')} ${place('b')} }`, undefined, 'M')).toBe(2);
  });
});
