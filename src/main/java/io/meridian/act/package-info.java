/**
 * The one place that acts: {@link io.meridian.act.Actuator} calls the DNS providers and the database
 * providers, each action under the term it was decided in, journaled before and after.
 */
package io.meridian.act;
