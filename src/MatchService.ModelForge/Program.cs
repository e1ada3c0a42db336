Console.Error.WriteLine("ModelForge: not wired yet");
return 1;
