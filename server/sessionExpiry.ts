/**
 * Long-lived sessions end with their token. Over HTTP (Server-Sent Events) a subscription stream
 * whose token expires gets one last event, an error with code TOKEN_EXPIRED, and then completes:
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
  return {
    onSubscribe: () => ({
      onSubscribeResult: ({ args, result, setResult }) => {
        const expiresAt = requestStateOf(args.contextValue)?.sessionExpiresAt;
        if (expiresAt === null || expiresAt === undefined || !isAsyncIterable(result)) return;
        setResult(guardStream(result as AsyncIterable<unknown>, { deadline: { at: expiresAt, last: () => ({ errors: [tokenExpiredError()] }) } }) as never);
      },
    }),
  };
}
