namespace MatchService.Grpc;

/// <summary>Reads a stream of messages; <see cref="MoveNext"/> returns false at the end.</summary>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>Reads the next message; false when the stream ended.</summary>
    Task<bool> MoveNext(CancellationToken cancellationToken = default);
}

/// <summary>Writes a stream of messages.</summary>
public interface IAsyncStreamWriter<in T>
{
    /// <summary>Writes one message (and flushes it to the peer).</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}

/// <summary>The server's response stream.</summary>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>;

/// <summary>The client's request stream; <see cref="CompleteAsync"/> half-closes it.</summary>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Ends the request stream (half-close).</summary>
    Task CompleteAsync();
}

/// <summary>Reading whole streams.</summary>
public static class AsyncStreamReaderExtensions
{
    /// <summary>Enumerates the rest of the stream.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        this IAsyncStreamReader<T> reader,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
