Console.Error.WriteLine("matchctl: not wired yet");
return 1;
