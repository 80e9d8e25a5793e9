/** The {@code meridian} command line (picocli). */
package io.meridian.cli;
