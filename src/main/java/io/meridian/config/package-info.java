/**
 * The YAML model (records), loading it from a config directory, and validation that reports
 * every problem as {@code file:line:col: message}.
 */
package io.meridian.config;
