import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import type { ByteTarget } from './byte-target.js';

/** A ByteWriter that hands its bytes to the target after each row group, so only one group is ever buffered. */
class TargetWriter extends ByteWriter {
  constructor(private readonly target: ByteTarget) {
    super(1 << 16);
  }

  flush(): Promise<void> {
    const bytes = new Uint8Array(this.buffer, 0, this.index);
    this.index = 0;
    return this.target.write(bytes);
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

/**
 * A Parquet writer with `schema` that streams into `target`. In a module of its own so that
 * the Parquet library is imported only when a Parquet sink opens.
 */
export function createParquetWriter(target: ByteTarget, schema: SchemaElement[]): ParquetWriter {
  return new ParquetWriter({ writer: new TargetWriter(target), schema, createdBy: 'agent-rollout' });
}
