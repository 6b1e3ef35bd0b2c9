import type { Journey, ReportEvent } from './journey.js';
import { str } from './journey.js';
import { around, stack, type Box, type Way } from './stack.js';
import type { TimeScale } from './time-axis.js';

/**
 * Keeping event marks clear of each other. Each kind of event has its place in its lane (a fix
 * attempt on the line, a call out above it, a call in below it, a task lower down), so events close
 * in time were drawn over each other: a fix attempt just before a matter's resolution left only
 * slivers of the resolution's dot, calls minutes apart were one dot. Each mark is moved up or down
 * (never sideways: its x is its time) clear of the marks placed before it, as finding marks are
 * (stack.ts): marks on the line the nearer way, contacts and tasks only away from the line, so a
 * call out stays above it and a call in below. The lane grows to hold what was moved out of its
 * usual room (layout.ts).
 *
 * Coordinates here are the lane's own: y from its line (a survey lane's middle).
 */

/**
 * The room a lane has for event marks, from its line: 18 up (2 short of the lane's top), 25.5 down
 * (where a task's triangle ends, 1.5 above its promises' first bar); a survey lane, 17 either way
 * of its middle. A lane grows by what its moved marks need beyond this.
 */
const ROOM = { above: 18, below: 25.5 };
const SURVEY_ROOM = { above: 17, below: 17 };

/** Each side of a mark's shape, its stroke included: two marks kept apart are a pixel apart or more. */
const GAP = 0.5;
/** Half a fix attempt's diamond (a 10 px square turned 45°), with half its 1 px stroke. */
const FIX = 5 * Math.SQRT2 + 0.5;
/** A contact's dot: 4, with half the 2 px edge of a call in. */
const CONTACT = 5;

export interface EventPlacement {
  /** How far each event's mark is moved down (negative: up) from where its kind goes; absent: not moved. */
  readonly offsets: ReadonlyMap<ReportEvent, number>;
  /** For each lane (by key) that needs it, the pixels it grows above its line and below its marks' room. */
  readonly growth: ReadonlyMap<string, { readonly above: number; readonly below: number }>;
}

interface Placed {
  readonly event: ReportEvent;
  readonly box: Box;
  readonly way: Way;
}

/** `laneKey`: the lane a mark of this matter goes to (layout.ts); surveys go to the "surveys" lane. */
export function placeEventMarks(journey: Journey, scale: TimeScale, laneKey: (matterId: string | null) => string): EventPlacement {
  const byLane = new Map<string, Placed[]>();
  const add = (key: string, event: ReportEvent | undefined, box: Box, way: Way) => {
    if (event === undefined) return;
    const marks = byLane.get(key) ?? [];
    marks.push({ event, box, way });
    byLane.set(key, marks);
  };
  // Placed in this order, the first ones staying where they are: a fix attempt stays inside the
  // ring of its being repeated (a finding), the line's other dots move off it, then the contacts,
  // the tasks and the surveys move clear of those.
  for (const mark of journey.fixes) add(laneKey(mark.matterId), mark.event, around(scale.x(mark.time), 0, FIX, FIX, GAP), 'either');
  if (journey.startedAt !== undefined && journey.startedAt >= scale.start) {
    const started = journey.events.find((e) => e.type === 'RelationshipStarted');
    add(laneKey(null), started, around(scale.x(journey.startedAt), 0, 3.5, 3.5, GAP), 'either');
  }
  for (const matter of journey.matters) {
    for (const segment of matter.segments) {
      if (segment.to !== undefined) add(laneKey(matter.matterId), segment.resolved, around(scale.x(segment.to), 0, 3.5, 3.5, GAP), 'either');
    }
  }
  for (const mark of journey.feedback) add(laneKey(mark.matterId), mark.event, around(scale.x(mark.time), 0, 3, 3, GAP), 'either');
  for (const mark of journey.contacts) {
    const inbound = str((mark.event.data as Record<string, unknown>)['direction']) === 'inbound';
    add(laneKey(mark.matterId), mark.event, around(scale.x(mark.time), inbound ? 10 : -10, CONTACT, CONTACT, GAP), inbound ? 'down' : 'up');
  }
  // A task's triangle: 4 either side of its x, from 4 above its y to 3 below.
  for (const mark of journey.tasks) add(laneKey(mark.matterId), mark.event, around(scale.x(mark.time), 21.5, 4, 3.5, GAP), 'down');
  for (const mark of journey.surveys) add('surveys', mark.event, around(scale.x(mark.time), 0, 5, 4, GAP), 'either');

  const offsets = new Map<ReportEvent, number>();
  const growth = new Map<string, { above: number; below: number }>();
  for (const [key, marks] of byLane) {
    const dys = stack(
      marks.map((m) => m.box),
      marks.map((m) => m.way),
    );
    const room = key === 'surveys' ? SURVEY_ROOM : ROOM;
    let top = -room.above;
    let bottom = room.below;
    marks.forEach((mark, i) => {
      const dy = dys[i] ?? 0;
      if (dy === 0) return;
      offsets.set(mark.event, dy);
      top = Math.min(top, mark.box.y1 + dy);
      bottom = Math.max(bottom, mark.box.y2 + dy);
    });
    // Whole pixels, so the lanes below stay on the pixel grid.
    const grown = { above: Math.ceil(-room.above - top), below: Math.ceil(bottom - room.below) };
    if (grown.above > 0 || grown.below > 0) growth.set(key, grown);
  }
  return { offsets, growth };
}
