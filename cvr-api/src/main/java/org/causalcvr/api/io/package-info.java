/**
 * Output that appears whole or not at all, and never at the cost of something the library did not
 * write.
 *
 * <p>{@link org.causalcvr.api.io.AtomicFolders} stages a folder beside its target and renames it
 * into place; an existing target is replaced only when its {@link org.causalcvr.api.io.FolderKind}
 * recognises it as one of ours (an empty folder counts as ours: nothing is lost). Anything else at
 * the path the user named, and every path the user did not name, is left alone.
 */
package org.causalcvr.api.io;
