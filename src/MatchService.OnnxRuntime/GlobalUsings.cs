// One of the shipped sources uses System.Reflection without importing it.
global using System.Reflection;
