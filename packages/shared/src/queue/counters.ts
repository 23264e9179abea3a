import type { QueueCommandOf } from './commands';
import type { CommandEnv } from './env';
import { requireCounter } from './env';
import type { Decision } from './rejections';
import { accept, reject } from './rejections';
import { counterRuntime } from './state';

type CounterCommand = QueueCommandOf<'openCounter' | 'closeCounter' | 'pauseCounter' | 'resumeCounter'>;

/** Counter sign states: 暂停服务 / 为您服务; a counter holding a ticket must finish, transfer or miss it first. */
export function counterCommand(env: CommandEnv, command: CounterCommand): Decision {
  const found = requireCounter(env, command.counterId);
  if (!found.ok) return found.decision;
  const { number } = found.value;
  const status = counterRuntime(env.state, command.counterId).state.status;
  const base = { counterId: command.counterId, at: env.at };
  if (status === 'serving' && command.type !== 'openCounter') {
    return reject('counter_busy', `counter ${number} still holds a ticket`);
  }
  switch (command.type) {
    case 'openCounter':
      if (status === 'closed') return accept({ type: 'counterOpened', ...base });
      if (status === 'paused') return reject('counter_paused', `counter ${number} is paused; resume it`);
      return reject('counter_already_open', `counter ${number} is already open`);
    case 'closeCounter':
      return status === 'closed' ? reject('counter_closed', `counter ${number} is already closed`) : accept({ type: 'counterClosed', ...base });
    case 'pauseCounter':
      if (status === 'closed') return reject('counter_closed', `counter ${number} is closed`);
      if (status === 'paused') return reject('counter_paused', `counter ${number} is already paused`);
      return accept({ type: 'counterPaused', reason: command.reason, ...base });
    case 'resumeCounter':
      return status === 'paused' ? accept({ type: 'counterResumed', ...base }) : reject('counter_not_paused', `counter ${number} is not paused`);
  }
}
