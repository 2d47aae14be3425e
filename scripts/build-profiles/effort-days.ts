import type { Knowledge } from './knowledge.js';
import type { ProfileInput } from './profile-input.js';

/** The engineer-day rates every built-in profile carries (an assumption, cited as such). */
export function effortDaysFrom(k: Knowledge): NonNullable<ProfileInput['effortDays']> {
  return {
    ...k.effortDays,
    note: "port-check's default rates, an assumption: set your team's in the config file (effortDays)",
    source: ['port-check-effort'],
  };
}
