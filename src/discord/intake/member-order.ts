/**
 * A member's requests reach the queue in the order the member sent them. Handlers await lists and
 * servers before they submit, and those answers come back in any order (right after start, when no
 * list is cached yet, three requests sent at once used to land in the queue in reverse). Each
 * request takes a ticket when it arrives and submits only when the member's earlier ones are done.
 */
export interface MemberOrder {
  /** Takes the member's next ticket (call as soon as the request arrives). */
  take(userId: string): Ticket;
}

export interface Ticket {
  /** Resolves once every earlier request of the member has submitted or given up. */
  turn(): Promise<void>;
  /** This request submitted or gave up (idempotent). */
  done(): void;
}

export function createMemberOrder(): MemberOrder {
  const tails = new Map<string, Promise<void>>();
  return {
    take(userId) {
      const before = tails.get(userId) ?? Promise.resolve();
      let finish: () => void = () => undefined;
      const mine = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const tail = before.then(() => mine);
      tails.set(userId, tail);
      void tail.then(() => {
        if (tails.get(userId) === tail) tails.delete(userId);
      });
      return { turn: () => before, done: () => finish() };
    },
  };
}
