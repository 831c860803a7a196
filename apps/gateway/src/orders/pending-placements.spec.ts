import { PendingPlacements } from './pending-placements';

describe('PendingPlacements', () => {
  it('lets a retry of a placement in flight (same key, same request) await its answer, sending nothing more', async () => {
    const pending = new PendingPlacements<string>();
    let sent = 0;
    let answer!: (value: string) => void;
    const place = () => (sent++, new Promise<string>((resolve) => (answer = resolve)));
    const first = pending.join('app:k1', 'body-a', place);
    const retry = pending.join('app:k1', 'body-a', place);
    expect(sent).toBe(1);
    answer('reserved');
    await expect(Promise.all([first, retry])).resolves.toEqual(['reserved', 'reserved']);
  });

  it('sends another request under the key (the order service refuses it) or another key its own way', async () => {
    const pending = new PendingPlacements<string>();
    const sent: string[] = [];
    const place = (what: string) => () => (sent.push(what), new Promise<string>(() => undefined));
    void pending.join('app:k1', 'body-a', place('a'));
    void pending.join('app:k1', 'body-b', place('b'));
    void pending.join('app:k2', 'body-a', place('c'));
    expect(sent).toEqual(['a', 'b', 'c']);
  });

  it('forgets a placement once answered, failed or not: later retries reach the order service', async () => {
    const pending = new PendingPlacements<string>();
    let sent = 0;
    await expect(pending.join('app:k1', 'body-a', async () => (sent++, Promise.reject(new Error('503'))))).rejects.toThrow('503');
    expect(pending.size).toBe(0);
    await expect(pending.join('app:k1', 'body-a', async () => (sent++, 'reserved'))).resolves.toBe('reserved');
    expect(sent).toBe(2);
    expect(pending.size).toBe(0);
  });

  it('shares a failure with those who joined it', async () => {
    const pending = new PendingPlacements<string>();
    let fail!: (error: Error) => void;
    const first = pending.join('app:k1', 'body-a', () => new Promise<string>((_resolve, reject) => (fail = reject)));
    const retry = pending.join('app:k1', 'body-a', async () => 'never');
    fail(new Error('ORDER_TIMEOUT'));
    await expect(first).rejects.toThrow('ORDER_TIMEOUT');
    await expect(retry).rejects.toThrow('ORDER_TIMEOUT');
  });
});
