using System.Buffers;

namespace Btc.Cli.Output;

/// <summary>Somewhere values are written one at a time: write into <see cref="Writer"/>, then <see cref="EndRecord"/>.</summary>
internal interface IRecordSink
{
    IBufferWriter<byte> Writer { get; }

    void EndRecord();
}
