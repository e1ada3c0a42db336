using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using MatchService.Contracts.V1;
using MatchService.Matching.Persons;
using MatchService.Matching.Vectors;
using MatchService.Server.Hosting;
using MatchService.Server.Intake;
using MatchService.Server.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Persons;

/// <summary>
/// EmbedPersons: reads images as they arrive, embeds up to <see cref="PersonOptions.MaxConcurrentImages"/> of them at a
/// time (their model calls share batches), sends each image's persons the moment that image is done (so results may
/// come out of order; each names its image index), and after the client half-closes sends the summary over all persons
/// in (image index, person index) order. The first failure cancels the rest of the stream and ends the call with its
/// status (INVALID_ARGUMENT naming the image and the limit, RESOURCE_EXHAUSTED when a model queue is full, ...).
/// </summary>
internal sealed partial class EmbedPersonsHandler(ModelHost host, ImageIntake intake, IOptions<PersonOptions> options, ILogger<EmbedPersonsHandler> logger)
{
    /// <summary>The handler bound to <c>match.v1.MatchService/EmbedPersons</c>.</summary>
    public async Task HandleAsync(IAsyncStreamReader<EmbedRequest> requests, IServerStreamWriter<EmbedResponse> responses, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        var models = PersonModels.From(host.Engine);
        using var call = new StreamState(new PersonEmbedder(models, settings), settings, models, responses, context);
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var running = new List<Task>();
        try
        {
            PersonGalleryOptions? gallery = null;
            while (await requests.MoveNext(failure.Token).ConfigureAwait(false))
            {
                var request = requests.Current;
                if (gallery is null)
                {
                    gallery = GalleryOptions(request.Options, settings);
                }
                else if (request.Options is not null)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "options: accepted in the first message of the stream only"));
                }

                foreach (var image in request.Images)
                {
                    var index = call.Admit(image);
                    await call.Gate.WaitAsync(failure.Token).ConfigureAwait(false);
                    running.Add(ProcessAsync(call, index, image, failure));
                }
            }

            await Task.WhenAll(running).ConfigureAwait(false);
            call.ThrowIfFailed();
            var summary = await Task.Run(() => call.Summarize(gallery ?? GalleryOptions(null, settings)), failure.Token).ConfigureAwait(false);
            await call.WriteAsync(new EmbedResponse { Summary = summary }, failure.Token).ConfigureAwait(false);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var (images, persons, stages) = (call.ImageCount, summary.Persons.Count, call.Clock.Format());
                LogStream(logger, images, persons, stages);
            }
        }
        catch (Exception e) when (e is not RpcException)
        {
            // The first image's failure is the call's answer (the interceptor maps it), not what it caused in the others.
            call.ThrowIfFailed();
            throw;
        }
        finally
        {
            // Images still in flight hold pooled buffers and model slots: stop them and wait before the call ends.
            await failure.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Already reported through the call's status.
            }
        }
    }

    private async Task ProcessAsync(StreamState call, int index, EmbedImage image, CancellationTokenSource failure)
    {
        try
        {
            var token = failure.Token;
            var start = Stopwatch.GetTimestamp();
            using var decoded = await intake.DecodeAsync(image.Image, $"images[{index}].image", token).ConfigureAwait(false);
            call.Clock.Add("decode", start);
            var id = ImageIntake.IdOf(image.Image, $"images[{index}]");
            var boxes = image.PersonBoxes.Select(PersonMessages.FromProto).ToArray();
            var persons = await call.Embedder.EmbedAsync(decoded.Image, id, boxes, call.Clock, CallDeadline.Remaining(call.Context), token).ConfigureAwait(false);
            call.Complete(index, id, persons);
            var result = new EmbedImageResult { ImageId = id, ImageIndex = index };
            result.Persons.AddRange(persons.Select(p => PersonMessages.ToProto(p, call.Models)));
            await call.WriteAsync(new EmbedResponse { Image = result }, token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            call.Fail(e);
            await failure.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            call.Gate.Release();
        }
    }

    private static PersonGalleryOptions GalleryOptions(EmbedOptions? requested, PersonOptions settings)
    {
        var bound = (double)(requested?.DistanceBound ?? 0f);
        if (!double.IsFinite(bound) || bound < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"options.distance_bound is {bound}; expected a finite bound ≥ 0 (0 = the configured {settings.DistanceBound})"));
        }

        var topN = requested?.TopN ?? 0;
        if (topN < 0 || topN > settings.MaxTopN)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"options.top_n is {topN}; expected 0..{settings.MaxTopN} (0 = the configured {settings.TopN})"));
        }

        return new PersonGalleryOptions
        {
            MaxPersons = settings.MaxPersonsPerStream,
            Metric = settings.Metric == "euclidean" ? VectorMetric.Euclidean : VectorMetric.Cosine,
            PairDistanceBound = bound > 0 ? bound : settings.DistanceBound,
            TopN = topN > 0 ? topN : settings.TopN,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "EmbedPersons: {Images} images, {Persons} persons; stage ms {Stages}")]
    private static partial void LogStream(ILogger logger, int images, int persons, string stages);

    /// <summary>What one call shares between its reader and its image tasks.</summary>
    private sealed class StreamState(PersonEmbedder embedder, PersonOptions settings, PersonModels models,
        IServerStreamWriter<EmbedResponse> responses, ServerCallContext context) : IDisposable
    {
        private readonly SemaphoreSlim _writeLock = new(1, 1);
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<int, (string Id, IReadOnlyList<EmbeddedPerson> Persons)> _done = new();
        private int _personCount;
        private Exception? _error;

        public PersonEmbedder Embedder { get; } = embedder;

        public PersonModels Models { get; } = models;

        public ServerCallContext Context { get; } = context;

        public StageClock Clock { get; } = StageClock.Of(context);

        public SemaphoreSlim Gate { get; } = new(settings.MaxConcurrentImages, settings.MaxConcurrentImages);

        public int ImageCount { get; private set; }

        /// <summary>Checks the stream-level limits for the next image and gives it its index.</summary>
        public int Admit(EmbedImage image)
        {
            var index = ImageCount;
            var id = ImageIntake.IdOf(image.Image, $"images[{index}]");
            if (index >= settings.MaxImagesPerStream)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"image '{id}' is image {index + 1} of the stream; the limit is {settings.MaxImagesPerStream} images per stream (Persons:MaxImagesPerStream): split the stream"));
            }

            if (image.PersonBoxes.Count > settings.MaxPersonsPerImage)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"image '{id}' has {image.PersonBoxes.Count} person boxes; the limit is {settings.MaxPersonsPerImage} persons per image (Persons:MaxPersonsPerImage)"));
            }

            if (!_ids.Add(id))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"image '{id}' appears twice in the stream; image ids must be unique within a stream"));
            }

            ImageCount++;
            return index;
        }

        public void Complete(int index, string id, IReadOnlyList<EmbeddedPerson> persons)
        {
            var total = Interlocked.Add(ref _personCount, persons.Count);
            if (total > settings.MaxPersonsPerStream)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"image '{id}' brings the stream to {total} persons; the limit is {settings.MaxPersonsPerStream} persons per stream (Persons:MaxPersonsPerStream): split the stream"));
            }

            _done[index] = (id, persons);
        }

        public async Task WriteAsync(EmbedResponse response, CancellationToken cancellationToken)
        {
            response.GlobalModel = ModelReferences.Of(Models.Global);
            response.HeadShoulderModel = ModelReferences.Of(Models.HeadShoulder);
            response.PersonDetector = ModelReferences.Of(Models.Detector);
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await responses.WriteAsync(response, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }

        public void Dispose()
        {
            _writeLock.Dispose();
            Gate.Dispose();
        }

        public void Fail(Exception error) => Interlocked.CompareExchange(ref _error, error, null);

        /// <summary>Rethrows the first image failure as the call's status.</summary>
        public void ThrowIfFailed()
        {
            if (Volatile.Read(ref _error) is { } error)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }
        }

        public EmbedSummary Summarize(PersonGalleryOptions options)
        {
            var start = Stopwatch.GetTimestamp();
            var gallery = new PersonGallery(options);
            var imageIndexOf = new List<int>();
            foreach (var (index, image) in _done.OrderBy(kv => kv.Key))
            {
                foreach (var person in image.Persons)
                {
                    gallery.Add(new PersonKey(image.Id, person.Index), person.Representation);
                    imageIndexOf.Add(index);
                }
            }

            var summary = PersonMessages.Summary(gallery.Summarize(), imageIndexOf);
            Clock.Add("summary", start);
            return summary;
        }
    }
}
