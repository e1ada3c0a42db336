using System.Runtime.InteropServices;

namespace MatchService.Imaging.Native;

/// <summary>Owns a tjhandle; destroyed when the owning thread's handle is collected.</summary>
internal sealed class TurboJpegHandle : SafeHandle
{
    private TurboJpegHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    public static TurboJpegHandle CreateDecompressor() => Create(TurboJpegNative.InitDecompress());

    private static TurboJpegHandle Create(nint raw) =>
        raw == 0 ? throw new InvalidOperationException("TurboJPEG could not create a handle (out of memory?)") : new TurboJpegHandle(raw);

    protected override bool ReleaseHandle() => TurboJpegNative.Destroy(handle) == 0;
}
