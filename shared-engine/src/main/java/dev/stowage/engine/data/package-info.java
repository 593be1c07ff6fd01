/** What a repository stores about files: snapshots, trees and nodes, and snapshot selection. */
package dev.stowage.engine.data;
