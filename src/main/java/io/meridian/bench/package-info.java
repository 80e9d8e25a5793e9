/** Benchmarks run as commands ({@code meridian bench ...}): they measure on this machine and print figures. */
package io.meridian.bench;
