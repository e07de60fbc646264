/** ImageError: the one error the image loaders throw, naming the file and what is wrong with it. */

/**
 * A boot image (kernel, initrd, ROM, module) cannot be loaded. The message starts with the file
 * name, then says which field or range is wrong, e.g. `bzImage: setup header version 0x0201 is
 * below 2.02 (offset 0x206)`.
 */
export class ImageError extends Error {
  override readonly name = 'ImageError';

  /**
   * @param file the image's name as the user gave it (path or label)
   * @param detail what is wrong, naming the field and value
   */
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}
