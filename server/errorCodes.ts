import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js reports variables that fail coercion ("Variable $n got invalid value…") as errors
 * without a code. They are the client's input, so they get BAD_USER_INPUT like every other
 * input error. Execution errors (with a path) were already coded by the error masker.
 */
export function useInputErrorCodes(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        if (!('errors' in result) || !result.errors || Symbol.asyncIterator in result) return;
        if (result.errors.every((error) => error.extensions?.code !== undefined || error.path !== undefined)) return;
        setResult({
          ...result,
          errors: result.errors.map((error) =>
            error.extensions?.code !== undefined || error.path !== undefined
              ? error
              : new GraphQLError(error.message, {
                  nodes: error.nodes ?? null,
                  extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
                }),
          ),
        });
      },
    }),
  };
}
