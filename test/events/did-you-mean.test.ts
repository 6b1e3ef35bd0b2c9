import { describe, expect, it } from 'vitest';
import { didYouMean } from '../../src/events/did-you-mean.js';

/**
 * The one "Did you mean …?" of every unknown name: an event's field, a configuration key, an
 * option. What differs is only when the object already has the name, so it is not offered again.
 */
describe('didYouMean', () => {
  const known = ['dueBy', 'promiseId', 'windowStart'];

  it('offers the closest known name for one unknown name, or nothing when none is close', () => {
    expect(didYouMean('dueby', known, {}, 'own-key')).toBe('. Did you mean "dueBy"?');
    expect(didYouMean('colour', known, {}, 'own-key')).toBe('');
    expect(didYouMean('dueby', known, 'not an object', 'defined')).toBe('. Did you mean "dueBy"?');
  });

  it('pairs each of several unknown names with its own, skipping those with none', () => {
    expect(didYouMean(['dueby', 'colour', 'promiseID'], known, {}, 'defined')).toBe('. Did you mean "dueBy" for "dueby", "promiseId" for "promiseID"?');
  });

  it('never offers a name the object has: an own key at all for a payload, a value other than undefined for options', () => {
    expect(didYouMean('dueby', known, { dueBy: '2024-01-01' }, 'own-key')).toBe('');
    expect(didYouMean('dueby', known, { dueBy: undefined }, 'own-key')).toBe('');
    expect(didYouMean('dueby', known, { dueBy: '2024-01-01' }, 'defined')).toBe('');
    // An option set to undefined takes its default, as if left out: the name is still free.
    expect(didYouMean('dueby', known, { dueBy: undefined }, 'defined')).toBe('. Did you mean "dueBy"?');
  });

  it('never offers the unknown name itself', () => {
    expect(didYouMean('dueBy', known, {}, 'own-key')).toBe('');
  });
});
