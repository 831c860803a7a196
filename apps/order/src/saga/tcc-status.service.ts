import type { TccCoordinator, TccStatusAnswer } from '@omni/tcc';
import { DataSource } from 'typeorm';

/**
 * Answers participants that hold a branch past its deadline: each transaction is resolved in its
 * own transaction under its saga lock, so a deadline that passed becomes a persisted cancel decision
 * before the answer leaves (one answer, whoever asks, however often).
 */
export class TccStatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly coordinator: TccCoordinator,
  ) {}

  /** The coordinator's answer for each gid, in the order asked (duplicates answered once). */
  async resolve(gids: readonly string[]): Promise<TccStatusAnswer[]> {
    const answers: TccStatusAnswer[] = [];
    for (const gid of new Set(gids)) answers.push(await this.dataSource.transaction((tx) => this.coordinator.resolve(tx, gid)));
    return answers;
  }
}
