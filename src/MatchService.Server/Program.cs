Console.Error.WriteLine("MatchService.Server: not wired yet");
return 1;
