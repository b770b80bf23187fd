/**
 * Long-lived sessions end with their token. Over HTTP (Server-Sent Events) a subscription stream,
 * or a live query's stream of results, whose token expires gets one last event, an error with code
 * TOKEN_EXPIRED, and then completes:
 * the client subscribes again with a fresh token. (Over WebSocket the socket itself is closed with
 * 4440: webSocket.ts.)
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { guardStream, isAsyncIterable } from './asyncIterators';
import { requestStateOf } from './requestState';

export const TOKEN_EXPIRED = 'TOKEN_EXPIRED';

export function tokenExpiredError(): GraphQLError {
  return new GraphQLError('The token has expired: get a fresh token and subscribe again', { extensions: { code: TOKEN_EXPIRED } });
}

export function useSessionExpiry(): Plugin {
  const endWithSession = ({
    args,
    result,
    setResult,
  }: {
    args: { contextValue: unknown };
    result: unknown;
    setResult: (result: never) => void;
  }) => {
    const expiresAt = requestStateOf(args.contextValue)?.sessionExpiresAt;
    if (expiresAt === null || expiresAt === undefined || !isAsyncIterable(result)) return;
    setResult(
      guardStream(result as AsyncIterable<unknown>, {
        deadline: { at: expiresAt, last: () => ({ errors: [tokenExpiredError()] }) },
      }) as never,
    );
  };
  return {
    onSubscribe: () => ({ onSubscribeResult: endWithSession }),
    // A live query streams from `execute`: it ends with its session too.
    onExecute: () => ({ onExecuteDone: endWithSession }),
  };
}
