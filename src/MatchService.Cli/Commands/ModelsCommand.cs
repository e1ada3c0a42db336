using MatchService.Cli.Connection;
using System.CommandLine;
using Google.Protobuf;
using MatchService.Contracts.V1;
using Grpc.Core;
using Spectre.Console;

namespace MatchService.Cli.Commands;

/// <summary><c>matchctl models</c>: what the server has loaded.</summary>
public static class ModelsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the ListModels response as JSON." };
        var command = new Command("models", """
            Lists the models the server runs: name, role, source (converted weights, classical descriptor, test model or
            user-supplied), input contract, outputs, devices, each instance's device and ONNX Runtime execution provider
            (CUDAExecutionProvider or CPUExecutionProvider), version and readiness. Exit code 0 when all are ready, 3 when
            some are not, 1 for a failed call.
            """) { json };
        command.WithConnectionOptions();
        command.SetAction(async (result, cancellationToken) =>
        {
            return await result.RunWithClientAsync("models", async client =>
            {
                var timeout = TimeSpan.FromSeconds(result.GetValue(CommonOptions.Timeout));
                var response = await client.Match.ListModelsAsync(new ListModelsRequest(), MatchConnection.Deadline(timeout, cancellationToken));
                if (result.GetValue(json))
                {
                    Console.WriteLine(JsonFormatter.Default.Format(response));
                }
                else
                {
                    Print(response);
                }
                return response.Models.All(m => m.Ready) ? ExitCodes.Ok : ExitCodes.Outcome;
            });
        });
        return command;
    }

    private static void Print(ListModelsResponse response)
    {
        var table = new Table().AddColumns("name", "role", "source", "version", "devices", "ready");
        foreach (var m in response.Models)
        {
            table.AddRow(Markup.Escape(m.Name), Markup.Escape(m.Role), Markup.Escape(m.Source), Markup.Escape(m.Version),
                Markup.Escape(string.Join(", ", m.Devices)), m.Ready ? "[green]yes[/]" : "[red]no[/]");
        }
        AnsiConsole.Write(table);

        // The contracts are long: one block per model under the table rather than squeezed into columns.
        foreach (var m in response.Models)
        {
            AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"[bold]{m.Name}[/]");
            AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"  input:   {m.Input}");
            foreach (var instance in m.Instances)
            {
                AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture,
                    $"  instance {instance.Id}: {instance.Device}, {instance.Provider}{(instance.Healthy ? "" : ", unhealthy")}");
            }
            foreach (var output in m.Outputs)
            {
                AnsiConsole.MarkupLineInterpolated(System.Globalization.CultureInfo.InvariantCulture, $"  output:  {output}");
            }
        }
    }
}
