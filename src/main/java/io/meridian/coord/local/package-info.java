/** Single-node state on disk: the append-only journal (events and audit) and the persisted operator overrides. */
package io.meridian.coord.local;
