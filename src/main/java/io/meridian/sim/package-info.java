/**
 * The simulator: replays a scenario (what each vantage sees of each target, over time, plus operator
 * steps) through the real decision engine on a manual clock, and prints the decision timeline.
 */
package io.meridian.sim;
