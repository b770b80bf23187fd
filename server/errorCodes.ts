import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions?.code !== undefined) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes ?? null,
    source: error.source ?? null,
    positions: error.positions ?? null,
    extensions: { ...error.extensions, code },
  });
}

/**
 * Gives every request-level error a stable code:
 * - variables that fail coercion ("Variable $n got invalid value…") are the client's input: BAD_USER_INPUT;
 * - operations refused by the query limits (depth, aliases, tokens, cost…) carry no code of their
 *   own: they are validation failures, and their message never states the limit.
 * Execution errors (with a path) were already coded by the error masker.
 */
export function useErrorCodes(): Plugin {
  return {
    onParse:
      () =>
      ({ result, replaceParseResult }) => {
        if (result instanceof GraphQLError && result.extensions?.code === undefined)
          replaceParseResult(withCode(result, 'GRAPHQL_PARSE_FAILED'));
      },
    onValidate:
      () =>
      ({ result, setResult }) => {
        if (result.length > 0 && result.some((error) => error.extensions?.code === undefined)) {
          setResult(result.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED')));
        }
      },
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        if (!('errors' in result) || !result.errors || Symbol.asyncIterator in result) return;
        if (!result.errors.some((error) => error.path === undefined)) return;
        // An error without a path failed the request before execution (a variable that does not
        // coerce): the client's input, so BAD_USER_INPUT and, as GraphQL over HTTP says, a 400.
        // graphql-jit answers those with `data: undefined`; the key goes, as graphql-js leaves it out.
        const { data, ...rest } = result;
        setResult({
          ...(data === undefined ? rest : result),
          errors: result.errors.map((error) =>
            error.path !== undefined
              ? error
              : new GraphQLError(error.message, {
                  nodes: error.nodes ?? null,
                  source: error.source ?? null,
                  positions: error.positions ?? null,
                  extensions: {
                    ...error.extensions,
                    code: error.extensions?.code ?? 'BAD_USER_INPUT',
                    http: error.extensions?.http ?? { spec: true, status: 400 },
                  },
                }),
          ),
        });
      },
    }),
  };
}
