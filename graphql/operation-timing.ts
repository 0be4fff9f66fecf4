// How long each GraphQL operation takes to run, told to whoever watches the API (app/metrics.ts
// counts it for /metrics). Timed from the start of execution (after parsing, validation and
// authentication) to its result; a subscription is timed until its stream is set up, not for its life.
import { getOperationAST, OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface ApiObserver {
  /** `name` is the operation's name in the document, undefined for an anonymous operation. */
  operationEnded(type: OperationTypeNode, name: string | undefined, seconds: number): void;
}

type OperationArgs = { document: Parameters<typeof getOperationAST>[0]; operationName?: string | null | undefined };

function timer(observer: ApiObserver, args: OperationArgs) {
  const started = performance.now();
  const operation = getOperationAST(args.document, args.operationName);
  return () => observer.operationEnded(operation?.operation ?? OperationTypeNode.QUERY, operation?.name?.value, (performance.now() - started) / 1000);
}

export function useOperationTiming(observer: ApiObserver): Plugin {
  return {
    onExecute({ args }) {
      const ended = timer(observer, args);
      return { onExecuteDone: () => ended() };
    },
    onSubscribe({ args }) {
      const ended = timer(observer, args);
      return { onSubscribeResult: () => ended() };
    },
  };
}
