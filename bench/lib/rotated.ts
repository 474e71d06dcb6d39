// The order a group's rows run in, round by round.

/**
 * The rows in round `round`'s order: each round starts one row later, so that over as many rounds
 * as there are rows every row runs once in every position. A row always measured right after the
 * same neighbour, or always last in its round, would carry that position's drift into its ratios.
 */
export function rotated<T>(rows: readonly T[], round: number): T[] {
  const start = rows.length === 0 ? 0 : round % rows.length;
  return [...rows.slice(start), ...rows.slice(0, start)];
}
